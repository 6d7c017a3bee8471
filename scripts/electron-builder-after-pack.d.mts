/** The parts of electron-builder's AfterPackContext the hook reads. */
export interface AfterPackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

export declare function afterPack(context: AfterPackContextLike): Promise<void>;
export default afterPack;
