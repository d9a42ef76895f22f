# Loaded first by the repository's LarkPS.psd1 (Import-Module ./LarkPS.psd1 from a clone): stops with the one-line fix
# when the module has not been built into out/LarkPS yet, instead of PowerShell's "no valid module was found".
# Windows PowerShell 5.1 syntax only.
if (-not (Test-Path -LiteralPath (Join-Path $PSScriptRoot '../out/LarkPS/LarkPS.dll'))) {
    throw "LarkPS is not built yet: run 'dotnet build LarkPS.sln' in $((Resolve-Path (Join-Path $PSScriptRoot '..')).Path), then Import-Module ./LarkPS.psd1 again."
}
