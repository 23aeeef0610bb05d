// Public entry of @tuneline/platform-client: talks to a platform `npm start` runs (npm run demo, the e2e test).
export { endpointsFromEnv, type PlatformEndpoints, type ServiceEndpoint } from './endpoints';
export { deadline, platformClients, unary, type PlatformClients } from './grpc-clients';
export { parseSseBlock, requestJson, waitForSse, type JsonResponse, type SseEvent } from './http';
export { SAMPLE_NEWS, startReplay, SURGE_ENTITY, waitForKafkaAlert } from './news-replay';
