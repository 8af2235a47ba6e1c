using Aspire.Hosting.ApplicationModel;

namespace PerfReference.AppHost;

internal static class HttpOnly
{
    /// <summary>
    /// Turns off Aspire's HTTPS certificate configuration for every project resource. Aspire gives each
    /// project the development certificate by default and, when no trusted one exists, shows a "No
    /// trusted development certificate" error on every dashboard page, though no endpoint here is https.
    /// </summary>
    public static void ServeAllProjectsOverHttp(this IDistributedApplicationBuilder builder)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToArray())
        {
#pragma warning disable ASPIRECERTIFICATES001 // evaluation API in Aspire 13: the documented way to opt a resource out of TLS
            builder.CreateResourceBuilder(project).WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
        }
    }
}
