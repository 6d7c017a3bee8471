// Renderer. A drop target for files: whether something is being dragged over it (to show it), and
// the handlers that take the files unless busy. Leaving for a child element is not leaving.
import { useState, type DragEvent } from 'react';

export function useFileDrop(busy: boolean, onFiles: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  const handlers = {
    onDragEnter: (e: DragEvent<HTMLElement>) => {
      e.preventDefault();
      setDragging(true);
    },
    onDragOver: (e: DragEvent<HTMLElement>) => {
      e.preventDefault();
      e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
    },
    onDragLeave: (e: DragEvent<HTMLElement>) => {
      if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
    },
    onDrop: (e: DragEvent<HTMLElement>) => {
      e.preventDefault();
      setDragging(false);
      if (!busy) onFiles([...e.dataTransfer.files]);
    },
  };
  return { dragging, handlers };
}
