namespace Flock.Akash.Sdl;

/// <summary>
/// The cross-reference rules of an SDL (chain-sdk validateSDL's SDLValidator plus the Go parser's checks):
/// what the YAML shape alone cannot say.
/// </summary>
internal static class SdlValidator
{
    public static void Validate(SdlDocument doc, List<SdlError> errors)
    {
        var services = doc.Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var compute = doc.Compute.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var placements = doc.Placements.ToDictionary(p => p.Name, StringComparer.Ordinal);

        foreach (var service in doc.Services)
        {
            if (!doc.Deployments.Any(d => d.Service == service.Name))
            {
                errors.Add(new SdlError("/deployment", $"service \"{service.Name}\" is not deployed"));
            }
        }

        foreach (var d in doc.Deployments)
        {
            var path = $"/deployment/{d.Service}/{d.Placement}";
            if (!services.ContainsKey(d.Service))
            {
                errors.Add(new SdlError(path, $"service \"{d.Service}\" is not defined in services"));
            }

            if (!compute.TryGetValue(d.Profile, out var profile))
            {
                errors.Add(new SdlError(path + "/profile", $"compute profile \"{d.Profile}\" is not defined"));
            }

            if (!placements.TryGetValue(d.Placement, out var placement))
            {
                errors.Add(new SdlError(path, $"placement \"{d.Placement}\" is not defined"));
            }
            else if (!placement.Pricing.Any(p => p.Profile == d.Profile))
            {
                errors.Add(new SdlError($"/profiles/placement/{d.Placement}/pricing", $"no price for profile \"{d.Profile}\""));
            }

            if (profile is not null && services.TryGetValue(d.Service, out var svc))
            {
                CheckGpu(profile, errors);
                CheckStorage(svc, profile, errors);
            }
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in doc.Services)
        {
            for (var i = 0; i < service.Expose.Count; i++)
            {
                for (var j = 0; j < service.Expose[i].To.Count; j++)
                {
                    var to = service.Expose[i].To[j];
                    if (string.IsNullOrEmpty(to.Ip))
                    {
                        continue;
                    }

                    var path = $"/services/{service.Name}/expose/{i}/to/{j}";
                    if (!to.Global)
                    {
                        errors.Add(new SdlError(path + "/global", "an exposure to an IP endpoint must be global"));
                    }

                    if (!doc.Endpoints.Contains(to.Ip, StringComparer.Ordinal))
                    {
                        errors.Add(new SdlError(path + "/ip", $"unknown endpoint \"{to.Ip}\""));
                    }

                    used.Add(to.Ip);
                }
            }
        }

        foreach (var endpoint in doc.Endpoints.Where(e => !used.Contains(e)))
        {
            errors.Add(new SdlError("/endpoints/" + endpoint, "declared but never used"));
        }
    }

    private static void CheckGpu(SdlComputeProfile profile, List<SdlError> errors)
    {
        var path = $"/profiles/compute/{profile.Name}/resources/gpu";
        if (profile.Gpu is not { } gpu)
        {
            return;
        }

        if (gpu.Units == 0 && gpu.Vendors is not null)
        {
            AddOnce(errors, new SdlError(path + "/attributes", "GPU attributes need units greater than 0"));
        }

        if (gpu.Units > 0 && (gpu.Vendors is null || gpu.Vendors.Count == 0))
        {
            AddOnce(errors, new SdlError(path, "GPU units greater than 0 need attributes.vendor"));
        }
    }

    private static void CheckStorage(SdlService service, SdlComputeProfile profile, List<SdlError> errors)
    {
        var volumes = service.Params?.Storage ?? [];
        foreach (var volume in volumes)
        {
            if (!profile.Storage.Any(s => (s.Name ?? "default") == volume.Name || s.Name == volume.Name))
            {
                AddOnce(errors, new SdlError($"/services/{service.Name}/params/storage/{volume.Name}", $"references volume \"{volume.Name}\" that profile \"{profile.Name}\" does not define"));
            }
        }

        var mounts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var volume in volumes.Where(v => v.Mount is not null))
        {
            if (!mounts.Add(volume.Mount!))
            {
                AddOnce(errors, new SdlError($"/services/{service.Name}/params/storage/{volume.Name}/mount", $"mount \"{volume.Mount}\" is already used"));
            }
        }

        foreach (var storage in profile.Storage)
        {
            var attributes = storage.Attributes ?? [];
            var persistent = attributes.Any(a => a.Key == "persistent" && a.Value is not ("false" or "no" or "0" or ""));
            var ram = attributes.Any(a => a.Key == "class" && a.Value == "ram");
            var name = storage.Name ?? "default";
            if (persistent && ram)
            {
                AddOnce(errors, new SdlError($"/profiles/compute/{profile.Name}/resources/storage", $"\"ram\" storage \"{name}\" cannot be persistent"));
            }

            if (persistent && string.IsNullOrEmpty(volumes.FirstOrDefault(v => v.Name == (storage.Name ?? ""))?.Mount))
            {
                AddOnce(errors, new SdlError($"/services/{service.Name}/params/storage/{name}", $"persistent storage \"{name}\" needs a mount path"));
            }
        }
    }

    private static void AddOnce(List<SdlError> errors, SdlError error)
    {
        if (!errors.Contains(error))
        {
            errors.Add(error);
        }
    }
}
