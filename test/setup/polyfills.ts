import '../../shared/platform/polyfills';

// Lambda runs Node 22; this machine runs Node 20, which the SDK warns about on every client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
