# split-tests' resident RSpec driver: one Ruby process per queue worker, many batches.
#
# Started as `ruby split_tests_feed.rb` (or `bundle exec ruby split_tests_feed.rb`) in place of
# `rspec` (src/runners/rspec.ts, `resident`). It speaks the ResidentLaunch protocol of
# src/runners/types.ts: JSON lines both ways over the socket whose descriptor number is in
# SPLIT_TESTS_FEED_FD (3). It says {"type":"ready"} once rspec-core is loaded, runs each
# {"type":"batch","batch":N,"args":[...],"env":{...}} with RSpec::Core::Runner.run(args) in this
# process, answers {"type":"done","batch":N,"exitCode":E} once the batch's reports are written and
# closed, and exits 0 at the end of its input. The examples' output is this process's stdout and
# stderr, as with `rspec`; nothing of the protocol goes there.
#
# Kept between batches (paid once per worker): Ruby, rspec-core/-expectations/-mocks, and every
# file loaded with `require`: spec_helper/rails_helper, the application and what they load, with
# the configuration their RSpec.configure blocks made (hooks, includes, filter_run_* filters,
# mock and expectation settings). This is what long-lived RSpec hosts keep (RSpec.clear_examples:
# "clear all examples but preserve current configuration").
#
# Made fresh for every batch, so that it runs as `rspec ARGS` would:
# - the world (example groups, their RSpec::ExampleGroups constants, the wants-to-quit and
#   outside-of-examples-failure flags a load error sets), the reporter and its formatters (only
#   this batch's --format/--out), the filters (spec_helper's filter_run_* kept, this batch's -E,
#   -e, --tag and locations only), the load time and the spec files to run;
# - the options the command line forces (--fail-fast, --seed, --order, --failure-exit-code, ...):
#   set for this batch, then taken back;
# - spec files: RSpec `load`s them every run, so each batch defines its groups from the files;
# - the example statuses --only-failures reads (what the previous batch persisted);
# - ENV (plus the batch's variables), ARGV, $stdin/$stdout/$stderr, the working directory.
# Not undone: an option the command line sets without forcing it (-I, --require, --backtrace,
# --profile) or an ordering it forced (the next batch without --order keeps it): a queue sends
# every batch the same options, only the files and selections differ. With random order and no
# --seed, one seed serves all of a worker's batches (`rspec` draws one per command). What examples do to
# globals, threads they leave and at_exit hooks (run once, when the driver exits) stay too.
#
# Every report file a batch's formatters opened (--out) is closed before "done": `rspec` leaves
# that to its exit. A SystemExit (an `exit` in a spec file or an example, `abort` on a bad option)
# ends the batch with its status, as it ends `rspec`; `exit!` ends the driver, and split-tests
# fails that batch and starts a new driver for the next one.
#
# Ruby >= 2.7 and rspec-core 3.x; no gem beyond rspec-core (and json, from the standard library).
require 'json'

module SplitTests
  module Feed
    FD_VARIABLE = 'SPLIT_TESTS_FEED_FD'
    # What `rspec` exits with when an exception escapes RSpec::Core::Runner.run (Ruby's own).
    CRASHED = 1

    # -E and -e go through filter_run, into the configuration's own filters that reset_filters
    # (RSpec.clear_examples) keeps for the next run, and a standalone filter such as this one
    # clears their exclusions (spec_helper's filter_run_excluding): this batch's run only.
    module BatchDescription
      def full_description=(description)
        filter_manager.include_with_low_priority(full_description: Regexp.union(*Array(description).map { |d| Regexp.new(d) }))
      end
    end

    module_function

    def main
      fd = Integer(ENV.delete(FD_VARIABLE) || '3')
      feed = IO.for_fd(fd, 'r+', autoclose: false)
      # the tests must not inherit the feed: a process they leave behind would hold it open
      feed.close_on_exec = true
      feed.sync = true
      # `rspec` runs with $0 ending in "rspec": without files, Configuration#files_or_directories_to_run=
      # then runs the default path (spec/), as the command does
      $0 = 'rspec'
      require 'rspec/core'
      # failures' backtraces end at the example, as `rspec`'s own frames are left out of them
      RSpec.configuration.backtrace_exclusion_patterns << /\A#{Regexp.escape(__FILE__)}:/
      RSpec.configuration.singleton_class.prepend(BatchDescription)
      preload
      say(feed, 'type' => 'ready')
      feed.each_line do |line|
        next if line.strip.empty?

        message = JSON.parse(line)
        next unless message['type'] == 'batch'

        exit_code = run_batch(message)
        say(feed, 'type' => 'done', 'batch' => message['batch'], 'exitCode' => exit_code)
      end
      0
    rescue Errno::EPIPE, Errno::ECONNRESET
      0 # split-tests closed the feed first: the end of input, as an EOF is
    end

    # What the first example group loads anyway with the default configuration (expect_with and
    # mock_with :rspec); loading a library configures nothing, so no result changes.
    def preload
      %w[rspec/expectations rspec/mocks].each do |library|
        begin
          require library
        rescue LoadError
          nil # not installed: the project does not use it
        end
      end
      RSpec::Core::Formatters::ProgressFormatter if defined?(RSpec::Core::Formatters)
    end

    def say(feed, message)
      feed.write("#{JSON.generate(message)}\n")
    end

    def run_batch(message)
      args = Array(message['args']).map(&:to_s)
      env = message['env'] || {}
      env_before = ENV.to_h
      argv_before = ARGV.dup
      cwd_before = Dir.pwd
      streams_before = [$stdin, $stdout, $stderr]
      configuration = RSpec.configuration
      preferred_before = configuration.instance_variable_get(:@preferred_options).dup
      ordering = configuration.ordering_manager
      forced_before = %i[@seed_forced @order_forced].map { |name| ordering.instance_variable_get(name) }
      fresh_rspec(configuration)
      env.each { |key, value| ENV[key.to_s] = value.to_s }
      ARGV.replace(args)
      begin
        exit_code = RSpec::Core::Runner.run(args, $stderr, $stdout).to_i
      rescue SystemExit => e
        exit_code = e.status
      rescue Interrupt, SignalException
        raise
      rescue Exception => e # rubocop:disable Lint/RescueException: `rspec` would crash; the driver goes on
        $stderr.puts("#{e.class}: #{e.message}", *Array(e.backtrace).map { |l| "\tfrom #{l}" })
        exit_code = CRASHED
      ensure
        close_reports(configuration)
        flush
        $stdin, $stdout, $stderr = streams_before
        Dir.chdir(cwd_before) if Dir.pwd != cwd_before
        ENV.replace(env_before)
        ARGV.replace(argv_before)
        configuration.instance_variable_set(:@preferred_options, preferred_before)
        %i[@seed_forced @order_forced].zip(forced_before) { |name, value| ordering.instance_variable_set(name, value) }
      end
      exit_code
    end

    # RSpec.clear_examples, and a new world: World#reset keeps the flags a load error sets
    # (wants_to_quit makes every later run exit early).
    def fresh_rspec(configuration)
      RSpec.clear_examples
      RSpec.world = RSpec::Core::World.new(configuration)
      configuration.reset # spec files not loaded yet (a later pattern setting does not warn)
      # --only-failures and --next-failure read the statuses the previous batch wrote, as `rspec` does
      if configuration.respond_to?(:clear_values_derived_from_example_status_persistence_file_path, true)
        configuration.__send__(:clear_values_derived_from_example_status_persistence_file_path)
      end
    end

    # The batch's formatters write their reports to files `rspec` closes at its exit.
    def close_reports(configuration)
      loader = configuration.instance_variable_get(:@formatter_loader)
      return if loader.nil?

      loader.formatters.each do |formatter|
        output = formatter.instance_variable_get(:@output)
        output = output.output if defined?(RSpec::Core::OutputWrapper) && output.is_a?(RSpec::Core::OutputWrapper)
        next unless output.is_a?(File) && !output.closed?
        next if [$stdout, $stderr, STDOUT, STDERR].include?(output)

        output.close
      end
    end

    def flush
      [$stdout, $stderr].each do |stream|
        stream.flush
      rescue StandardError
        nil
      end
    end
  end
end

exit(SplitTests::Feed.main) if $PROGRAM_NAME == __FILE__
