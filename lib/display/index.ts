export * from './figure';
export * from './sink';
export * from './progress';
export { escapeHtml, plotlyText, scriptJson } from './escape';
export { PLOTLY_MIME, plotlyOfflineBundle, plotlyVersion } from './plotlyEmbed';
export * from './interrupt';
