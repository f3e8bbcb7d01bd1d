export * from './clustersServiceMock';
