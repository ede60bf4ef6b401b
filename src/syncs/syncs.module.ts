import { Module } from '@nestjs/common';
import { SyncPreviewController } from './preview.controller';
import { SyncPreviewService } from './preview.service';
import { SyncsController } from './syncs.controller';
import { SyncsService } from './syncs.service';

@Module({
  controllers: [SyncsController, SyncPreviewController],
  providers: [SyncsService, SyncPreviewService],
  exports: [SyncsService],
})
export class SyncsModule {}
