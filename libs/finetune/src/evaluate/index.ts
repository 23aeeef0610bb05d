export * from './predict-texts';
export * from './evaluate-model';
export * from './model-path';
