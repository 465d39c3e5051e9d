"""Server-side charts as plain, accessible SVG: the same markup in HTML pages and in PDFs."""
