; 报送助手 — the Windows installer (Inno Setup 6.3 or newer). Saved as UTF-8 with a BOM: Inno Setup then
; reads the Chinese text as Unicode.
;
;   python installer\build.py                      builds and smoke-tests dist\baosong\
;   ISCC installer\baosong.iss                     writes dist\installer\baosong-setup-<version>.exe
;
; The version is read from dist\baosong\baosong.exe (its version resource, written from pyproject.toml
; by the spec); `ISCC /DAppVersion=x.y.z` overrides it.
;
; Why Inno Setup and not MSIX or WiX (MSI):
;   - A clerk installs it alone, without administrator rights and offline: PrivilegesRequired=lowest puts the
;     program in %LOCALAPPDATA%\Programs\Baosong and every registry entry under HKCU. One setup.exe, Chinese
;     wizard, nothing else needed on the machine.
;   - MSIX must be signed with a certificate the PC trusts; an office PC without the Store or with sideloading
;     locked down cannot install it, and installing our own certificate needs an administrator. MSIX also
;     virtualises the AppData writes of the program and deletes them on uninstall.
;   - WiX builds an MSI, which is the right tool when IT pushes software by Group Policy. Per-user MSI is
;     awkward (ALLUSERS=2/MSIINSTALLPERUSER, a registry key path per component, 400+ harvested files) for no
;     gain here: nobody deploys this centrally. If that changes, WiX can pack the same dist\baosong folder.
;
; What uninstall keeps: the clerk's workspaces (*.baosong). They are documents, kept in Documents\报送助手
; (or wherever the clerk saved them), never in {app}; the uninstaller removes only the files it installed,
; so even a workspace saved inside {app} by mistake stays (with its folder). The settings in
; %APPDATA%\Baosong (recent files, window size; no personal data) are kept too, for a reinstall.

#define AppName "报送助手"
#define AppExe "baosong.exe"
#define CliExe "baosong-cli.exe"
#define ProgId "Baosong.Workspace"
#define SourceDir AddBackslash(SourcePath) + "..\dist\baosong"

#if !FileExists(SourceDir + "\" + AppExe)
  #error "dist\baosong\baosong.exe is missing: run python installer\build.py first"
#endif
#ifndef AppVersion
  #define AppVersion GetFileProductVersionString(SourceDir + "\" + AppExe)
#endif

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{C3713B4D-EF00-43D0-88AA-2477FEB11A32}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=报送助手项目
VersionInfoDescription={#AppName} 安装程序
VersionInfoProductName={#AppName}
PrivilegesRequired=lowest
DefaultDirName={autopf}\Baosong
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
CloseApplications=yes
OutputDir=..\dist\installer
OutputBaseFilename=baosong-setup-{#AppVersion}
SetupIconFile=baosong.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
; Recent Inno Setup releases ship ChineseSimplified.isl; with a compiler that lacks it the wizard is in English.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found in this Inno Setup: the wizard will be in English"
Name: "english"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "快捷方式："

[InstallDelete]
; An upgrade must not mix the libraries of two PyInstaller builds.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\{#AppExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#SourceDir}\{#CliExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#SourceDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; Where the program proposes to save workspaces (forms/base/paths.py: Documents\报送助手). Never uninstalled.
Name: "{userdocs}\报送助手"; Flags: uninsneveruninstall

[Icons]
; The Start menu and the desktop open the window (baosong.exe). baosong-cli.exe (the console program for
; check/new/import/export/bundle) is installed beside it for batch use; it has no shortcut.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "社会评价报送材料的填报、检查与打包"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; .baosong: double-click opens the workspace in baosong.exe. HKA is HKCU in a per-user install.
Root: HKA; Subkey: "Software\Classes\.baosong"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.baosong\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "报送助手工作区"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".baosong"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "启动{#AppName}"; Flags: nowait postinstall skipifsilent
