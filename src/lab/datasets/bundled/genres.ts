/** The bundled model's labels, in the original model's output order. */
export const GENRES = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz'] as const;
export type Genre = (typeof GENRES)[number];

export function isGenre(value: string): value is Genre {
  return (GENRES as readonly string[]).includes(value);
}
