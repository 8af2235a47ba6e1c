namespace PerfReference.LoadLab.Cli;

/// <summary>
/// How the lab's sockets run the continuations of what they receive, chosen per command before the first socket (the
/// runtime reads the setting once). For <c>ceiling</c> — the closed loop on the bare endpoint, the figure that is the
/// client's own cost, measured against wrk (scripts/measure-client.sh) — each answer's continuation runs on the socket
/// engine's thread that saw it arrive (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS), instead of waking a pool thread
/// for it: one thread hand-off less per request, CPU the service on the same two cores gets back (issue 26: the lab
/// within 15 % of wrk). Only there: a continuation that blocks on a socket (a synchronous call after an asynchronous one
/// on the same socket) would wait on the very thread that must complete it — the EventPipe session's stop did, until it
/// was made asynchronous — and the other commands run more code of that kind (drills, data loads) than one run checks.
/// An environment that names the setting keeps it.
/// </summary>
public static class ClientSockets
{
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The commands whose continuations run inline.</summary>
    public static readonly IReadOnlySet<string> InlineCommands = new HashSet<string>(StringComparer.Ordinal) { "ceiling" };

    public static void ChooseFor(IReadOnlyList<string> args)
    {
        if (args.Count > 0 && InlineCommands.Contains(args[0]) && Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
