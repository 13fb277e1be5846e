; Inno Setup 6 script for the Redemption Desk installer.
;
;   iscc /DAppVersion=0.2.0rc1 /DAppVersionNumeric=0.2.0.30001 packaging\windows\redemption-desk.iss
;   (Inno Setup 7 spells /D as --define=). AppVersionNumeric is what `python packaging/versions.py
;   windows 0.2.0rc1` prints: VersionInfoVersion takes four numbers only.
;
; Build the onedir first (dist\redemption-desk, from packaging\redemption-desk.spec); the setup
; is written to dist\. The release workflow passes the version; /DSourceDir= and /DOutputDir=
; override the folders. /DSignTool (with iscc's /Ssigntool=...) signs the setup and uninstaller.
;
; For IT:
;   per user (default, no admin):  redemption-desk-setup.exe /VERYSILENT /CURRENTUSER
;   per machine (admin):           redemption-desk-setup.exe /VERYSILENT /ALLUSERS
;   uninstall, keep history:       unins000.exe /VERYSILENT
;   uninstall, delete history too: unins000.exe /VERYSILENT /PURGE
; A silent install never starts the app; an interactive one offers to.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=1.2.3 packaging\windows\redemption-desk.iss
#endif
#ifndef AppVersionNumeric
  #error Pass the numeric version too: /DAppVersionNumeric=(python packaging/versions.py windows)
#endif
#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\..\dist\redemption-desk"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif

#define AppName "Redemption Desk"
#define AppExeName "redemption-desk.exe"
; The batch corrections' console command, built beside the app when the source has it
; (desktop_app/batch): [Files] installs it with the rest, into the same folder.
#define BatchExeName "redemption-desk-batch.exe"
#if FileExists(AddBackslash(SourceDir) + BatchExeName)
  #pragma message "Including the console command " + BatchExeName
#else
  #pragma message "No " + BatchExeName + " in the onedir: installing the desk only"
#endif
; Where the app keeps history, profiles and logs: platformdirs' user data folder for the app id.
#define DataFolderName "redemption-desk"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{C9157A5A-A905-4170-A6B0-08D42AF4F972}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per user by default; the dialog (or /ALLUSERS, /CURRENTUSER) chooses per machine instead.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
UsePreviousPrivileges=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SourceDir={#SourceDir}
OutputDir={#OutputDir}
OutputBaseFilename=redemption-desk-{#AppVersion}-windows-x64-setup
SetupIconFile={#AddBackslash(SourcePath)}..\..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running desk before files are replaced (Restart Manager); never restart it, so a
; silent upgrade does not start the app either.
CloseApplications=yes
RestartApplications=no
#ifdef SignTool
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
; skipifsilent: /SILENT and /VERYSILENT installs never start the app.
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// Uninstalling keeps the agent's history, profiles and logs unless asked: a question in an
// interactive uninstall (default No), or /PURGE on the command line. Passwords saved in the
// Windows Credential Manager (under "redemption-desk") are left alone either way.

function PurgeRequestedOnCommandLine(): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/PURGE') = 0 then
      Result := True;
  // The uninstaller re-launches a copy of itself; look at the raw tail as well.
  if Pos('/PURGE', Uppercase(GetCmdTail())) > 0 then
    Result := True;
end;

function UserDataFolder(): String;
begin
  Result := ExpandConstant('{localappdata}\{#DataFolderName}');
end;

function AgentWantsDataDeleted(): Boolean;
begin
  Result := SuppressibleMsgBox(
    'Also delete your Redemption Desk history, profiles and logs?' + #13#10 + #13#10 +
    UserDataFolder() + #13#10 + #13#10 +
    'Choose No to keep them: reinstalling later brings everything back.',
    mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Purge: Boolean;
begin
  if (CurUninstallStep <> usPostUninstall) or not DirExists(UserDataFolder()) then
    Exit;
  Purge := PurgeRequestedOnCommandLine();
  if not Purge and not UninstallSilent() then
    Purge := AgentWantsDataDeleted();
  if Purge then
  begin
    if DelTree(UserDataFolder(), True, True, True) then
      Log('Deleted ' + UserDataFolder())
    else
      Log('Could not delete all of ' + UserDataFolder());
  end
  else
    Log('Kept ' + UserDataFolder());
end;
