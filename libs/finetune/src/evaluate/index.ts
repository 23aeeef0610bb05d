export * from './predict-texts';
export * from './evaluate-model';
