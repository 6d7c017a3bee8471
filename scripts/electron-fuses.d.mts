export declare const todokeFuses: Readonly<{
  RunAsNode: boolean;
  EnableCookieEncryption: boolean;
  EnableNodeOptionsEnvironmentVariable: boolean;
  EnableNodeCliInspectArguments: boolean;
  EnableEmbeddedAsarIntegrityValidation: boolean;
  OnlyLoadAppFromAsar: boolean;
  LoadBrowserProcessSpecificV8Snapshot: boolean;
  GrantFileProtocolExtraPrivileges: boolean;
}>;

export declare function fuseConfig(
  fuses: { FuseV1Options: Record<string, string | number>; FuseVersion: { V1: string } },
  options?: { resetAdHocDarwinSignature?: boolean },
): Record<string | number, unknown>;

export declare function electronBinaryPath(target: { appOutDir: string; platform: string; productFilename: string; executableName?: string }): string;

export declare function fuseWireProblems(wire: Record<string | number, unknown>, FuseV1Options: Record<string, string | number>): string[];
