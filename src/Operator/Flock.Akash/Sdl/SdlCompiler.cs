using Flock.Akash.Protos.DeploymentV1Beta4;

namespace Flock.Akash.Sdl;

/// <summary>Everything a deployment needs from one SDL.</summary>
/// <param name="Groups">MsgCreateDeployment.groups.</param>
/// <param name="ManifestJson">The canonical manifest JSON: send exactly these bytes to the provider.</param>
/// <param name="Version">SHA-256 of <paramref name="ManifestJson"/>: MsgCreateDeployment.hash.</param>
public sealed record CompiledSdl(IReadOnlyList<GroupSpec> Groups, string ManifestJson, byte[] Version)
{
    // ManifestJson holds env values, which may be secrets: never print it.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Groups = ").Append(Groups.Count).Append(", Version = ").Append(Convert.ToHexStringLower(Version));
        return true;
    }
}

/// <summary>SDL text or document → group specs, manifest JSON and version hash in one call.</summary>
public static class SdlCompiler
{
    /// <summary>Parses and compiles SDL text.</summary>
    public static CompiledSdl Compile(string yaml) => Compile(SdlParser.Parse(yaml));

    /// <summary>Compiles a parsed SDL.</summary>
    public static CompiledSdl Compile(SdlDocument doc)
    {
        var groups = GroupSpecBuilder.Build(doc);
        var json = CanonicalJson.Serialize(ManifestBuilder.Build(doc));
        return new CompiledSdl(groups, json, ManifestVersion.Of(json));
    }
}
