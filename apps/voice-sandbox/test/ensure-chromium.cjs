// The browser tests need Debian's Chromium. Install it with apt when missing (as root), else say how.
const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(path)) {
  if (process.getuid && process.getuid() === 0) {
    console.log('Chromium missing: installing it with apt-get');
    execSync('apt-get update && apt-get install -y chromium', { stdio: 'inherit' });
  } else {
    console.error(`Chromium not found at ${path}. Install it: sudo apt-get install -y chromium (or set CHROMIUM_PATH).`);
    process.exit(1);
  }
}
