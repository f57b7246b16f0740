using System;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace KitchenButton.Simulator.Mqtt;

/// <summary>MQTT client options for a TLS 1.2 broker with client-certificate authentication, as AWS IoT Core requires.</summary>
public static class MqttTls
{
    public static MqttClientOptions Options(string host, int port, string clientId, TlsIdentity identity, bool cleanSession)
    {
        return new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(clientId)
            .WithCleanSession(cleanSession)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(tls => tls
                .UseTls()
                .WithSslProtocols(SslProtocols.Tls12)
                .WithTargetHost("localhost")
                .WithClientCertificates(new X509Certificate2Collection(identity.Certificate))
                .WithTrustChain(new X509Certificate2Collection(identity.CertificateAuthority))
                .WithCertificateValidationHandler(context => ChainsTo(context.Certificate, identity.CertificateAuthority)))
            .Build();
    }

    /// <summary>The broker's certificate must chain to our CA alone, not to the machine's trust store.</summary>
    private static bool ChainsTo(X509Certificate? presented, X509Certificate2 authority)
    {
        if (presented == null)
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
