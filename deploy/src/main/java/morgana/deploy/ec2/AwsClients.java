package morgana.deploy.ec2;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The AWS services a deploy talks to, sharing one HTTP client: EC2, the EBS direct APIs and Route 53 for one
 * instance; Auto Scaling, ELBv2 and CloudFront for a fleet. Route 53 and CloudFront are global services;
 * their clients are signed for us-east-1 whatever the site's region.
 */
public record AwsClients(Ec2Client ec2, EbsClient ebs, Route53Client route53, AutoScalingClient autoScaling,
                         ElasticLoadBalancingV2Client elb, CloudFrontClient cloudFront, SdkHttpClient http)
        implements AutoCloseable {

    /** How every client is built: credentials, HTTP client, and the region and endpoint when given. */
    private record Setup(AwsCredentialsProvider credentials, SdkHttpClient http, Optional<Region> region,
                         Optional<URI> endpoint, Optional<ClientOverrideConfiguration> overrides) {
        <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C regional(B builder) {
            region.ifPresent(builder::region);
            return build(builder);
        }

        <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C global(B builder) {
            return build(builder.region(Region.AWS_GLOBAL));
        }

        private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
            builder.credentialsProvider(credentials).httpClient(http);
            endpoint.ifPresent(builder::endpointOverride);
            overrides.ifPresent(builder::overrideConfiguration);
            return builder.build();
        }

        AwsClients clients() {
            return new AwsClients(regional(Ec2Client.builder()), regional(EbsClient.builder()),
                    global(Route53Client.builder()), regional(AutoScalingClient.builder()),
                    regional(ElasticLoadBalancingV2Client.builder()), global(CloudFrontClient.builder()), http);
        }
    }

    /**
     * For real AWS, or a stand-in at {@code endpoint}: the region and credentials from the SDK's default
     * chains unless named.
     */
    public static AwsClients of(Optional<String> region, Optional<String> profile, Optional<URI> endpoint) {
        AwsCredentialsProvider credentials = profile.<AwsCredentialsProvider>map(ProfileCredentialsProvider::create)
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        return new Setup(credentials, UrlConnectionHttpClient.create(), region.map(Region::of), endpoint,
                Optional.empty()).clients();
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
        return new Setup(credentials, http, Optional.of(region), Optional.of(endpoint), Optional.of(timeouts))
                .clients();
    }

    @Override
    public void close() {
        ec2.close();
        ebs.close();
        route53.close();
        autoScaling.close();
        elb.close();
        cloudFront.close();
        http.close();
    }
}
