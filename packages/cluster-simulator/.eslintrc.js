module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The simulator maps many Kubernetes states to values (reasons, messages,
    // units); short chained conditionals read like the tables they encode.
    'no-nested-ternary': 'off',
  },
});
