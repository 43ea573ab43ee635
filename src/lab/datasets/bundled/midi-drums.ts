import midiFile from 'midi-file';
import type { MidiData, MidiEvent } from 'midi-file';

/** General MIDI plays percussion on channel 10 (9 counted from 0). */
export const DRUM_CHANNEL = 9;
const DEFAULT_MICROSECONDS_PER_BEAT = 500_000;

export interface DrumHit {
  timeSec: number;
  note: number;
  /** 1–127 */
  velocity: number;
}

/**
 * Takes the percussion notes a drum kit will play out of a MIDI file: returns the file without
 * them (for fluidsynth to play the band), a file with only them (to measure how loud the groove
 * wants its drums) and their times in seconds (tempo map applied). Notes `take` refuses stay in
 * the band, so percussion a kit lacks is still heard from the soundfont. Removed events hand
 * their delta time to the next kept event, so nothing else moves in time.
 */
export function splitDrums({ midi, take }: { midi: Uint8Array; take: (note: number) => boolean }): { band: Uint8Array; drums: Uint8Array; hits: DrumHit[] } {
  const data = midiFile.parseMidi(midi);
  const ticksPerBeat = data.header.ticksPerBeat;
  if (ticksPerBeat === undefined) throw new RangeError('SMPTE-timed MIDI files are not supported');
  const toSeconds = secondsOfTicks({ data, ticksPerBeat });
  const hits: DrumHit[] = [];
  for (const events of data.tracks) {
    let tick = 0;
    for (const event of events) {
      tick += event.deltaTime;
      if (isTakenDrumNote(event, take) && event.type === 'noteOn' && event.velocity > 0) {
        hits.push({ timeSec: toSeconds(tick), note: event.noteNumber, velocity: event.velocity });
      }
    }
  }
  hits.sort((a, b) => a.timeSec - b.timeSec);
  const isNote = (e: MidiEvent): boolean => e.type === 'noteOn' || e.type === 'noteOff';
  const band = keepEvents({ data, keep: (e) => !isTakenDrumNote(e, take) });
  const drums = keepEvents({ data, keep: (e) => !isNote(e) || isTakenDrumNote(e, take) });
  return { band, drums, hits };
}

/** The file with only the events `keep` accepts; a dropped event's delta time moves to the next kept one. */
function keepEvents({ data, keep }: { data: MidiData; keep: (event: MidiEvent) => boolean }): Uint8Array {
  const tracks = data.tracks.map((events) => {
    const kept: MidiEvent[] = [];
    let carried = 0;
    for (const event of events) {
      if (!keep(event)) {
        carried += event.deltaTime;
        continue;
      }
      kept.push({ ...event, deltaTime: event.deltaTime + carried });
      carried = 0;
    }
    return kept;
  });
  return Uint8Array.from(midiFile.writeMidi({ header: data.header, tracks }));
}

function isTakenDrumNote(event: MidiEvent, take: (note: number) => boolean): boolean {
  return (event.type === 'noteOn' || event.type === 'noteOff') && event.channel === DRUM_CHANNEL && take(event.noteNumber);
}

/** Tick → seconds through every tempo change of every track (format 1 keeps them in track 0). */
function secondsOfTicks({ data, ticksPerBeat }: { data: MidiData; ticksPerBeat: number }): (tick: number) => number {
  const changes: { tick: number; usPerBeat: number }[] = [];
  for (const events of data.tracks) {
    let tick = 0;
    for (const event of events) {
      tick += event.deltaTime;
      if (event.type === 'setTempo') changes.push({ tick, usPerBeat: event.microsecondsPerBeat });
    }
  }
  changes.sort((a, b) => a.tick - b.tick);
  return (tick) => {
    let seconds = 0;
    let at = 0;
    let usPerBeat = DEFAULT_MICROSECONDS_PER_BEAT;
    for (const change of changes) {
      if (change.tick >= tick) break;
      seconds += ((change.tick - at) * usPerBeat) / ticksPerBeat / 1e6;
      at = change.tick;
      usPerBeat = change.usPerBeat;
    }
    return seconds + ((tick - at) * usPerBeat) / ticksPerBeat / 1e6;
  };
}
