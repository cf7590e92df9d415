// The browser entry: settings from the page's query string, the result in
// document.body.dataset.result for the test to read.
import { listConnectors } from "./list.js";

const query = new URLSearchParams(location.search);
listConnectors(Object.fromEntries(query)).then((result) => {
  document.body.dataset.result = JSON.stringify(result);
});
