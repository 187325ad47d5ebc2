; NSIS additions: start the player for every user at login (per-machine Run key) and restart it if it
; dies (a scheduled task that relaunches it every 5 minutes if not running; single-instance makes it a no-op).
!macro customInstall
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "BangtinPlayer" '"$INSTDIR\bangtin-player.exe"'
  nsExec::ExecToLog 'schtasks /Create /F /TN "BangtinPlayerWatchdog" /SC MINUTE /MO 5 /RL LIMITED /IT /TR "\"$INSTDIR\bangtin-player.exe\""'
!macroend

!macro customUnInstall
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "BangtinPlayer"
  nsExec::ExecToLog 'schtasks /Delete /F /TN "BangtinPlayerWatchdog"'
!macroend
