using System.Xml.Linq;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Web.Console;

/// <summary>
/// The keys that protect the console's cookie and anti-forgery tokens (ASP.NET Core data protection). They live
/// in the database, so two hosts behind one proxy accept each other's cookies and a restart signs nobody out,
/// and each key's XML is sealed with <c>Protection:EncryptionKey</c> first, so a copy of the database alone
/// cannot forge a sign-in.
/// </summary>
public static class ConsoleKeys
{
    /// <summary>Which application the keys belong to: the same for every host, whatever folder it runs from.</summary>
    public const string ApplicationName = "Jukwaa.Bot";

    public static IServiceCollection AddConsoleKeys(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<JukwaaDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<PersonalDataProtector>((options, protector) => options.XmlEncryptor = new SealedKeyXml(protector));
        // Behind nginx (TLS ends there) the host sees http: the proxy's X-Forwarded-Proto says it was https, which the
        // Secure cookies and the anti-forgery check need. Only a proxy on this machine (loopback, the defaults) is believed.
        services.Configure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        return services;
    }

    /// <summary>
    /// Makes the first key now, after migrating, so hosts started together on a new database find one key rather
    /// than each making its own on its first sign-in.
    /// </summary>
    public static void EnsureKey(IServiceProvider services) =>
        services.GetDataProtector("Jukwaa.Bot.Console.KeyRing").Protect("ready");

    /// <summary>Seals a key's XML before it is stored; <see cref="SealedKeyXmlDecryptor"/> opens it.</summary>
    private sealed class SealedKeyXml(PersonalDataProtector protector) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
            new(new XElement("sealed", protector.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting))), typeof(SealedKeyXmlDecryptor));
    }
}

/// <summary>
/// Opens a key sealed by the console's key ring. Data protection creates it by type name with the host's services;
/// a host with another <c>Protection:EncryptionKey</c> cannot open it (and then makes a key of its own).
/// </summary>
public sealed class SealedKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<PersonalDataProtector>().Unseal(encryptedElement.Value));
}
