#!/usr/bin/env bash
# Entry point for a fresh machine: restores the pinned PowerShell (a .NET local tool) and runs
# build.ps1 with it. Usage: ./build.sh Demo | ./build.sh Test | ./build.sh Build ...
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v dotnet >/dev/null 2>&1; then
    echo "build.sh: the .NET SDK (dotnet) is required; see README.md." >&2
    exit 2
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
task="${1:-Build}"
shift || true
# Bootstrap and Build come first for the tasks that need them.
case "$task" in
    Demo|Test|Bench) tasks="Bootstrap,Build,$task" ;;
    *) tasks="$task" ;;
esac
exec dotnet pwsh -NoLogo -NoProfile -NonInteractive -File ./build.ps1 -Task "$tasks" "$@"
