// Approval and decline sound different: a rising two-note chime against a low double buzz,
// generated with WebAudio so no audio asset ships with the app.

export type Cue = 'approved' | 'declined';

interface Note {
  frequency: number;
  start: number; // seconds from now
  duration: number;
  type: OscillatorType;
  gain: number;
}

const cues: Record<Cue, Note[]> = {
  approved: [
    { frequency: 880, start: 0, duration: 0.12, type: 'sine', gain: 0.3 },
    { frequency: 1320, start: 0.13, duration: 0.22, type: 'sine', gain: 0.3 },
  ],
  declined: [
    { frequency: 196, start: 0, duration: 0.18, type: 'square', gain: 0.12 },
    { frequency: 196, start: 0.26, duration: 0.3, type: 'square', gain: 0.12 },
  ],
};

let context: AudioContext | undefined;

/**
 * Creates (or resumes) the audio context while a key press is being handled: browsers start
 * audio only after a user gesture, and the decision arrives later, outside any gesture.
 */
export function primeAudio(): void {
  if (typeof AudioContext === 'undefined') return;
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    // No audio device: decisions still show icon, text and shape.
  }
}

export function playCue(cue: Cue, enabled = true): void {
  if (!enabled || typeof AudioContext === 'undefined') return;
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const now = context.currentTime;
    for (const note of cues[cue]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = note.type;
      osc.frequency.value = note.frequency;
      // Short ramps avoid clicks at the start and end of each note.
      gain.gain.setValueAtTime(0, now + note.start);
      gain.gain.linearRampToValueAtTime(note.gain, now + note.start + 0.01);
      gain.gain.setValueAtTime(note.gain, now + note.start + note.duration - 0.02);
      gain.gain.linearRampToValueAtTime(0, now + note.start + note.duration);
      osc.connect(gain).connect(context.destination);
      osc.start(now + note.start);
      osc.stop(now + note.start + note.duration + 0.01);
    }
  } catch {
    // No audio device: the screen still shows the decision with icon, text and shape.
  }
}
