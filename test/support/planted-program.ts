import { join } from 'node:path';
import ts from 'typescript';
import { readProject } from '../../scripts/find-edge-store-uses.js';

/**
 * A program of the whole tree with the project's compiler options (tsconfig.json) and files planted in it,
 * never written to disk: new files beside the real ones, or a real file's path with other text. What a
 * check must refuse or let pass, seen as `npm run typecheck` sees it.
 */
export function programWithPlantedFiles(root: string, files: Record<string, string>): ts.Program {
  const project = readProject(root);
  const host = ts.createCompilerHost(project.options);
  const planted = new Map(Object.entries(files).map(([f, text]) => [join(root, f), text]));
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => planted.has(f) || fileExists.call(host, f);
  host.readFile = (f) => planted.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, onError, create) => {
    const text = planted.get(f);
    return text === undefined ? getSourceFile.call(host, f, language, onError, create) : ts.createSourceFile(f, text, language);
  };
  return ts.createProgram([...new Set([...project.fileNames, ...planted.keys()])], project.options, host);
}
