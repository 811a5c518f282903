export { floorRoutes } from './lib/floor.routes';
export { FloorPage } from './lib/floor-page';
export { floorAnnouncements } from './lib/floor-announcements';
