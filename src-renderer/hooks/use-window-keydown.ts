// A window keydown listener bound once for the component's life. The handler may change on
// every render (it closes over the screen's state); the listener calls the latest one, so typing
// does not remove and re-add the listener on each keystroke.
import { useEffect, useLayoutEffect, useRef } from 'react';

export function useWindowKeydown(handler: (event: KeyboardEvent) => void): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => latest.current(event);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
