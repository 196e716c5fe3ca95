using System.Security.Cryptography;
using System.Text;

namespace Flock.Akash.Sdl;

/// <summary>
/// The manifest version: SHA-256 of the manifest's canonical JSON (chain-sdk go/manifest/v2beta3 Version()).
/// MsgCreateDeployment.hash carries it (exactly 32 bytes); the provider recomputes it from the manifest it
/// receives and refuses a mismatch.
/// </summary>
public static class ManifestVersion
{
    /// <summary>SHA-256 of the UTF-8 bytes of <paramref name="canonicalJson"/>.</summary>
    public static byte[] Of(string canonicalJson)
    {
        ArgumentNullException.ThrowIfNull(canonicalJson);
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson));
    }
}
