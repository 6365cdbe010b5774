'use strict';
// jest globalTeardown: removes this run's scratch folder (./scratch.js).
module.exports = function globalTeardown() {
  require('./scratch').teardown();
};
