import { Module } from '@nestjs/common';
import { ConflictsController, SyncConflictsController } from './conflicts.controller';
import { ConflictsService } from './conflicts.service';

/** Conflicts of `manual` fields: review and resolve. */
@Module({
  controllers: [ConflictsController, SyncConflictsController],
  providers: [ConflictsService],
})
export class ConflictsModule {}
