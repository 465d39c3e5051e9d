// Progressive enhancement only: every page works without this script.
const { initAll } = require("@scottish-government/design-system/dist/scripts/all/all.js");

document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js-enabled");
initAll();
