// Renderer. The few line icons the UI uses, inline so the CSP needs no image sources. Decorative:
// every icon sits next to text that names the control.
export type IconName = 'home' | 'send' | 'folder' | 'document' | 'certificate' | 'settings' | 'upload' | 'alert' | 'check' | 'info' | 'close' | 'lock' | 'user' | 'back' | 'forward';

const PATHS: Record<IconName, string> = {
  home: 'M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z',
  send: 'M4 12 20 4l-6 16-2.5-6.5zM11.5 13.5 20 4',
  folder: 'M3 6a1 1 0 0 1 1-1h5l2 2h9a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1z',
  document: 'M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6',
  certificate: 'M4 4h16v11H4zM8 8h8M8 11h5M15 15v6l2-1.5 2 1.5v-6',
  settings: 'M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1 7 17M17 7l2.1-2.1',
  upload: 'M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3',
  alert: 'M12 3 2 20h20zM12 10v4M12 17v.5',
  check: 'M4 12.5 9.5 18 20 6',
  info: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 11v6M12 7.5v.5',
  close: 'M6 6l12 12M18 6 6 18',
  lock: 'M6 11h12v10H6zM9 11V8a3 3 0 0 1 6 0v3',
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
  back: 'M15 5 8 12l7 7',
  forward: 'M9 5l7 7-7 7',
};

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
