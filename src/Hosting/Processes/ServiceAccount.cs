using System.Runtime.InteropServices;

namespace PerfReference.Hosting.Processes;

/// <summary>
/// PostgreSQL refuses to run as root. When the AppHost runs as root, server processes are started
/// through <c>setpriv</c>, which drops to an unprivileged account and then execs the server, so the
/// process Aspire monitors (and stops) is the server itself.
/// </summary>
public sealed record ServiceAccount(string UserName, int UserId, int GroupId)
{
    public static bool CurrentUserIsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>The unprivileged account to run servers as, or null when no drop is needed.</summary>
    public static ServiceAccount? ForServers(string preferredUser = "postgres")
    {
        if (!CurrentUserIsRoot)
        {
            return null;
        }

        return Lookup(preferredUser)
            ?? throw new InvalidOperationException(
                $"The AppHost runs as root and PostgreSQL will not. Create the '{preferredUser}' account " +
                "(Debian: apt-get install postgresql-common, or useradd --system postgres) or run as an ordinary user.");
    }

    /// <summary>The command line that runs <paramref name="executable"/> as this account.</summary>
    public (string Command, IReadOnlyList<string> Args) Wrap(string executable, IEnumerable<string> args)
    {
        var setpriv = BinaryLocation.SystemTools().Require("setpriv", "Install it with: apt-get install util-linux");
        return (setpriv, [$"--reuid={UserId}", $"--regid={GroupId}", "--init-groups", "--", executable, .. args]);
    }

    /// <summary>Gives this account ownership of a directory the server writes to.</summary>
    public void Own(string path)
    {
        if (chown(path, UserId, GroupId) != 0)
        {
            throw new IOException($"Could not give '{UserName}' ownership of '{path}' (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    private static ServiceAccount? Lookup(string userName)
    {
        // /etc/passwd: name:password:uid:gid:gecos:home:shell
        const string passwd = "/etc/passwd";
        if (!File.Exists(passwd))
        {
            return null;
        }

        return File.ReadLines(passwd)
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= 4 && fields[0] == userName)
            .Select(fields => new ServiceAccount(fields[0], int.Parse(fields[2]), int.Parse(fields[3])))
            .FirstOrDefault();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int chown(string path, int owner, int group);
}
