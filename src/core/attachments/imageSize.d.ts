// Types for image-size's per-format entry points ("image-size/types/png" …), which its package.json exports but
// this project's module resolution (node10) cannot see. Importing the four formats alone keeps ~14 KB of
// detectors for other formats out of the bundle.
declare module 'image-size/types/*' {
  interface ISize {
    width: number;
    height: number;
    orientation?: number;
  }
  interface IImage {
    validate(input: Uint8Array): boolean;
    calculate(input: Uint8Array): ISize;
  }
  export const PNG: IImage;
  export const JPG: IImage;
  export const GIF: IImage;
  export const WEBP: IImage;
}
