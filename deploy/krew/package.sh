#!/usr/bin/env bash
# The krew release step: builds kubectl-flock for every platform deploy/krew/flock.yaml lists, packs each into the
# archive its uri names, and writes the manifest with those archives' sha256 (fill-sha256.sh) beside them.
#   deploy/krew/package.sh [output directory, default artifacts/krew]
# Then attach the archives and flock.yaml of the output directory to the GitHub release of spec.version, and send that
# flock.yaml to krew-index. The manifest is the one list of platforms: an archive name it gives decides the build.
# Needs nuget.org (or a feed with the .NET runtime packs of every platform): each build is self-contained.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mkdir -p "${1:-$root/artifacts/krew}" && cd "${1:-$root/artifacts/krew}" && pwd)   # absolute: the packing runs in the build directory
manifest="$root/deploy/krew/flock.yaml"
project="$root/src/Operator/Flock.KubectlPlugin/Flock.KubectlPlugin.csproj"

archives=$(grep -o 'kubectl-flock_v[^/[:space:]"]*\.\(tar\.gz\|zip\)' "$manifest" | sort -u)
[ -n "$archives" ] || { echo "no archive uris in $manifest" >&2; exit 1; }
for archive in $archives; do
  # kubectl-flock_<version>_<os>_<arch>.<tar.gz|zip>, krew's os and arch names → a .NET runtime identifier.
  [[ $archive =~ ^kubectl-flock_v[^_]+_([a-z]+)_([a-z0-9]+)\.(tar\.gz|zip)$ ]] || { echo "unexpected archive name $archive" >&2; exit 1; }
  os=${BASH_REMATCH[1]} arch=${BASH_REMATCH[2]} format=${BASH_REMATCH[3]}
  case $os in linux) rid=linux ;; darwin) rid=osx ;; windows) rid=win ;; *) echo "no .NET runtime for os $os" >&2; exit 1 ;; esac
  case $arch in amd64) rid+=-x64 ;; arm64) rid+=-arm64 ;; *) echo "no .NET runtime for arch $arch" >&2; exit 1 ;; esac

  stage=$(mktemp -d)
  # Self-contained, so a krew user needs no .NET runtime; the published directory is the archive's root (krew copies
  # it whole, `files: from "*"`, and links bin). Published like the operator: neither trimmed (KubernetesClient and
  # YamlDotNet are not trim-safe) nor single-file (Flock.Crds, which the plugin references, reads its XML docs
  # through Assembly.Location, which the single-file analyzer rejects). PackAsTool only concerns the NuGet tool package.
  dotnet publish "$project" --configuration Release --runtime "$rid" --self-contained true \
    -p:DebugType=none -p:PackAsTool=false --output "$stage" --nologo
  rm -f "$out/$archive"
  case $format in
    tar.gz) (cd "$stage" && tar -czf "$out/$archive" -- *) ;;
    zip) (cd "$stage" && zip -q -r "$out/$archive" -- *) ;;
  esac
  rm -rf "$stage"
done
bash "$root/deploy/krew/fill-sha256.sh" "$out" "$manifest" > "$out/flock.yaml"
echo "wrote $(wc -w <<< "$archives") archives and flock.yaml to $out"
