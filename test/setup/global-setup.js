'use strict';
// jest globalSetup: runs once per `jest` run, before the workers start (they inherit its environment).
const precompileValidators = require('./precompiled-validators');
const scratch = require('./scratch');

module.exports = function globalSetup() {
  precompileValidators();
  scratch.setup();
};
