/** Writes the run's aggregated results where PLUGIN_TEST_RESULTS says, for CI's closing line (.ci/run). */
const { writeFileSync } = require('node:fs');

module.exports = (results) => {
  writeFileSync(process.env.PLUGIN_TEST_RESULTS, JSON.stringify(results));
  return results;
};
