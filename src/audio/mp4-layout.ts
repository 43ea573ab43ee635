// MP4/M4A files keep their index (the `moov` box) either before the audio data (`mdat`,
// "faststart") or after it — iTunes previews and most encoders put it AFTER. ffmpeg's mp4 demuxer
// must seek back to the audio after reading a trailing moov, which a pipe cannot do. Small files
// still work by luck (they fit in ffmpeg's 5 MB probe buffer); measured with ffmpeg 5.1, an 11 MB
// moov-last m4a on stdin fails with "partial file … Invalid data found". So such a buffer has to
// be decoded from a seekable file instead. This walks the top-level boxes only.

/** True when `data` is ISO-BMFF (MP4/M4A/3GP…) whose moov does not precede its mdat. */
export function needsSeekableInput({ data }: { data: Buffer }): boolean {
  if (data.length < 12 || data.toString('latin1', 4, 8) !== 'ftyp') return false;
  let offset = 0;
  while (offset + 8 <= data.length) {
    let size = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (type === 'moov') return false;
    if (type === 'mdat') return true;
    if (size === 1) {
      if (offset + 16 > data.length) return true;
      size = Number(data.readBigUInt64BE(offset + 8));
    } else if (size === 0) {
      return true; // box runs to the end of the file: no moov before it
    }
    if (size < 8) return true; // malformed: let a seekable ffmpeg read report it
    offset += size;
  }
  return true; // moov not found in what we have
}
