using System.Globalization;
using System.Net;
using PerfReference.Topology;

namespace PerfReference.LatencyProxy;

/// <summary>
/// One link a proxy process runs, as its command line says: <c>[--link NAME] --listen PORT --upstream HOST:PORT --profile
/// PROFILE</c>, once per link (each <c>--link</c> starts the next). The AppHost starts one process with every standalone
/// link this way, and the load lab reads the links back from that process's command line to probe them: one parser for both.
/// </summary>
public sealed record LinkSpec(string Name, int Port, string Upstream, NetworkProfile Profile)
{
    /// <summary>The name of a link given without <c>--link</c> (a process started with one link, as before links shared a process).</summary>
    public const string DefaultName = "link";

    /// <summary>The link's options, as <see cref="Parse"/> reads them.</summary>
    public IEnumerable<string> Arguments =>
        ["--link", Name, "--listen", Port.ToString(CultureInfo.InvariantCulture), "--upstream", Upstream, "--profile", Profile.Name];

    /// <summary>Where the link relays to (a host name of this machine is read as 127.0.0.1).</summary>
    public IPEndPoint UpstreamEndPoint => IPEndPoint.Parse(Upstream.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));

    /// <summary>
    /// The links of a command line (what comes before the first option — the program, its dll — is skipped); a link
    /// without <c>--link</c> is named <paramref name="unnamed"/>. An <see cref="ArgumentException"/> says what is wrong.
    /// </summary>
    public static IReadOnlyList<LinkSpec> Parse(IReadOnlyList<string> arguments, string unnamed = DefaultName)
    {
        var links = new List<LinkSpec>();
        var first = 0;
        while (first < arguments.Count && !arguments[first].StartsWith("--", StringComparison.Ordinal))
        {
            first++;
        }

        Dictionary<string, string>? current = null;
        for (var i = first; i < arguments.Count; i += 2)
        {
            var option = arguments[i];
            var value = i + 1 < arguments.Count ? arguments[i + 1] : throw new ArgumentException($"{option} needs a value.");
            if (option == "--link" || current is null)
            {
                if (current is not null)
                {
                    links.Add(Of(current, unnamed));
                }

                current = [];
            }

            if (option is not ("--link" or "--listen" or "--upstream" or "--profile"))
            {
                throw new ArgumentException($"Unexpected argument '{option}'.");
            }

            if (!current.TryAdd(option, value))
            {
                throw new ArgumentException($"{option} given twice for one link; start the next link with --link NAME.");
            }
        }

        if (current is not null)
        {
            links.Add(Of(current, unnamed));
        }

        return links.Count > 0 ? links : throw new ArgumentException("No link given.");
    }

    private static LinkSpec Of(Dictionary<string, string> options, string unnamed)
    {
        var name = options.GetValueOrDefault("--link") ?? unnamed;
        if (!int.TryParse(options.GetValueOrDefault("--listen"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"Link '{name}': --listen needs a port.");
        }

        var upstream = options.GetValueOrDefault("--upstream");
        if (upstream is null || !IPEndPoint.TryParse(upstream.Replace("localhost", "127.0.0.1", StringComparison.Ordinal), out var endPoint) || endPoint.Port == 0)
        {
            throw new ArgumentException($"Link '{name}': --upstream needs HOST:PORT.");
        }

        var profile = options.GetValueOrDefault("--profile") is { } profileName
            ? NetworkProfile.Parse(profileName)
            : throw new ArgumentException($"Link '{name}': --profile needs one of {string.Join(", ", NetworkProfile.All.Select(p => p.Name))}.");
        return new LinkSpec(name, port, upstream, profile);
    }
}
