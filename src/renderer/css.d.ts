// Renderer. Stylesheets are imported for their side effect (Vite bundles them, in import order).
declare module '*.css';
