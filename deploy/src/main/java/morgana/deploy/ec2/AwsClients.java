package morgana.deploy.ec2;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The three AWS services a deploy talks to, sharing one HTTP client. Route 53 is a global service; its
 * client is signed for us-east-1 whatever the site's region.
 */
public record AwsClients(Ec2Client ec2, EbsClient ebs, Route53Client route53, SdkHttpClient http)
        implements AutoCloseable {

    /**
     * For real AWS, or a stand-in at {@code endpoint}: the region and credentials from the SDK's default
     * chains unless named.
     */
    public static AwsClients of(Optional<String> region, Optional<String> profile, Optional<URI> endpoint) {
        AwsCredentialsProvider credentials = profile.<AwsCredentialsProvider>map(ProfileCredentialsProvider::create)
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        SdkHttpClient http = UrlConnectionHttpClient.create();
        var ec2 = Ec2Client.builder().credentialsProvider(credentials).httpClient(http);
        var ebs = EbsClient.builder().credentialsProvider(credentials).httpClient(http);
        var route53 = Route53Client.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials)
                .httpClient(http);
        region.map(Region::of).ifPresent(r -> {
            ec2.region(r);
            ebs.region(r);
        });
        endpoint.ifPresent(e -> {
            ec2.endpointOverride(e);
            ebs.endpointOverride(e);
            route53.endpointOverride(e);
        });
        return new AwsClients(ec2.build(), ebs.build(), route53.build(), http);
    }

    /**
     * Every client pointed at one endpoint (a stand-in for AWS, such as the tests' fake), with each attempt
     * bounded by {@code callTimeout} so that a call that never answers fails like a network timeout, and
     * {@code attempts} tries per call (the SDK's retries with backoff).
     */
    public static AwsClients at(URI endpoint, Region region, AwsCredentialsProvider credentials, Duration callTimeout,
                                int attempts) {
        // A read timeout on the socket, not the SDK's apiCallAttemptTimeout: that one interrupts the calling
        // thread, and an interrupt left behind fails the next class load or file read of the deploy.
        SdkHttpClient http = UrlConnectionHttpClient.builder().socketTimeout(callTimeout)
                .connectionTimeout(callTimeout).build();
        ClientOverrideConfiguration timeouts = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(attempts).build())
                .build();
        return new AwsClients(
                Ec2Client.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                        .httpClient(http).overrideConfiguration(timeouts).build(),
                EbsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                        .httpClient(http).overrideConfiguration(timeouts).build(),
                Route53Client.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                        .credentialsProvider(credentials).httpClient(http).overrideConfiguration(timeouts).build(),
                http);
    }

    @Override
    public void close() {
        ec2.close();
        ebs.close();
        route53.close();
        http.close();
    }
}
