/** Speech: eSpeak-NG spoken digits, WAV, resampling, log-mel / MFCC features, noise, Griffin–Lim. */
export * from './wav';
export * from './resample';
export * from './espeak';
export * from './features';
export * from './noise';
export * from './griffinLim';
export * from './dataset';
