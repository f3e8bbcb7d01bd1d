module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // the escape suite asserts through expectRefused (status, message and audit record)
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expectRefused'] },
    ],
  },
});
