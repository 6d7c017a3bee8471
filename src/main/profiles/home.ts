// Main process. Where Todoke keeps its state (profiles, the built-in sandbox): $TODOKE_HOME, or the platform's
// application-data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function todokeHome(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string {
  if (env.TODOKE_HOME) return env.TODOKE_HOME;
  const home = env.HOME ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Todoke');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Todoke');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'todoke');
}
