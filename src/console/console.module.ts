import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { ConsoleFiles, consoleDir } from './console-files';

/** Serves the web console (built into dist/console) at /console; `/` leads there. */
@Module({
  controllers: [ConsoleController],
  providers: [{ provide: ConsoleFiles, useFactory: () => new ConsoleFiles(consoleDir()) }],
})
export class ConsoleModule {}
