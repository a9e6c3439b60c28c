// Minimal typings for fft.js (indutny/fft.js, radix-4 FFT on interleaved complex arrays).
declare module 'fft.js' {
  type NumArray = number[] | Float64Array;
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    toComplexArray(input: ArrayLike<number>, storage?: NumArray): NumArray;
    fromComplexArray(complex: ArrayLike<number>, storage?: NumArray): NumArray;
    completeSpectrum(spectrum: NumArray): void;
    /** unnormalised forward DFT, e^{-2 pi i jk/N}; out and data interleaved complex, length 2N */
    transform(out: NumArray, data: ArrayLike<number>): void;
    /** real input of length N; fills out[0 .. N+1] (bins 0 .. N/2) */
    realTransform(out: NumArray, data: ArrayLike<number>): void;
    /** inverse DFT including the 1/N factor */
    inverseTransform(out: NumArray, data: ArrayLike<number>): void;
  }
}
