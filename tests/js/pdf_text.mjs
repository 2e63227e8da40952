// Prints the text of PDFs as pdf.js (Firefox's viewer) extracts it, as JSON: {path: [page text, ...]}.
// Lines end where pdf.js marks an end of line (hasEOL), as its viewer's copy does.
//   node tests/js/pdf_text.mjs a.pdf b.pdf
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const out = {};
for (const path of process.argv.slice(2)) {
  const data = new Uint8Array(await readFile(path));
  const pdf = await getDocument({ data, verbosity: 0, useSystemFonts: false, disableFontFace: true }).promise;
  const pages = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
  }
  out[path] = pages;
  await pdf.destroy();
}
process.stdout.write(JSON.stringify(out));
