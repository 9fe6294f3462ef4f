import { createTheme, type MantineColorsTuple } from '@mantine/core';

// SENA green #39A900 is shade 6. White text on it is 3.1:1, enough only for large text, so filled controls
// use shade 8 (#2B7F00, 5:1) and axe-core finds no contrast violation; #39A900 stays for accents and the header.
const sena: MantineColorsTuple = ['#eefae6', '#dcf2cc', '#b8e59a', '#91d764', '#70cb38', '#5bc31c', '#39a900', '#329400', '#2b7f00', '#1f5c00'];

export const theme = createTheme({
  primaryColor: 'sena',
  primaryShade: 8,
  colors: { sena },
  fontFamily: '"Work Sans", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontFamily: '"Work Sans", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  defaultRadius: 'md',
});
