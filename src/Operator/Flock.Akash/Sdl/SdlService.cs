using System.Text;

namespace Flock.Akash.Sdl;

/// <summary>
/// services.&lt;name&gt;. Env entries ("K=V") may hold secrets (Akash has no secret store), so ToString prints
/// only the variable names.
/// </summary>
public sealed record SdlService(
    string Name,
    string Image,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? Args,
    IReadOnlyList<string>? Env,
    IReadOnlyList<SdlExpose> Expose,
    SdlServiceParams? Params,
    SdlCredentials? Credentials)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Image = ").Append(Image)
            .Append(", Env = [").Append(string.Join(", ", (Env ?? []).Select(e => e.Split('=', 2)[0]))).Append(']')
            .Append(", Expose = ").Append(Expose.Count);
        return true;
    }
}

/// <summary>services.*.expose[] entry.</summary>
public sealed record SdlExpose(uint Port, uint? As, string? Proto, IReadOnlyList<string>? Accept, IReadOnlyList<SdlExposeTo> To, SdlHttpOptions? HttpOptions);

/// <summary>services.*.expose[].to[] entry.</summary>
public sealed record SdlExposeTo(string? Service, bool Global, string? Ip);

/// <summary>services.*.expose[].http_options.</summary>
public sealed record SdlHttpOptions(uint? MaxBodySize, uint? ReadTimeout, uint? SendTimeout, uint? NextTries, uint? NextTimeout, IReadOnlyList<string>? NextCases);

/// <summary>services.*.params.</summary>
/// <param name="Storage">params.storage volumes in YAML order (the manifest sorts them by name).</param>
/// <param name="PermissionsRead">params.permissions.read, or null when absent.</param>
public sealed record SdlServiceParams(IReadOnlyList<SdlStorageParams> Storage, IReadOnlyList<string>? PermissionsRead);

/// <summary>services.*.params.storage.&lt;volume&gt;.</summary>
public sealed record SdlStorageParams(string Name, string? Mount, bool ReadOnly);

/// <summary>services.*.credentials (private registry login). ToString hides the password.</summary>
public sealed record SdlCredentials(string Host, string? Email, string Username, string Password)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Host = ").Append(Host).Append(", Username = ").Append(Username);
        return true;
    }
}
