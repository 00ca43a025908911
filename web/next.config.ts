import type { NextConfig } from 'next';

// parleyd serves the static export (web/out) itself: no Node server at run time.
const config: NextConfig = {
  output: 'export',
  reactStrictMode: true,
  poweredByHeader: false,
  images: { unoptimized: true },
  // The app's URLs are /, /signin, /signup, /settings: parleyd maps /x to x.html.
  trailingSlash: false,
};

export default config;
