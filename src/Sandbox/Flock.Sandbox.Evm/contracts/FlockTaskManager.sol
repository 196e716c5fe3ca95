// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IStakeToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// @title FlockTaskManager (sandbox)
/// @notice The staking part of FLock.io's FlockTaskManagerV2Upgradeable, for a local chain. Every
///         function and event below keeps the real contract's name and parameter types, so the
///         selectors and event topics are the real ones; the semantics of staking and withdrawing
///         follow the real source (cumulative stake, minimum checked on the new total, one role per
///         wallet per task, withdrawal only after the task is completed). Left out: rewards,
///         delegation, FlockConfig/FlockStakeInfo plumbing, upgradeability and RBAC (one owner here).
///         Sandbox-only: finishTask(uint256) (the real contract finishes a task inside
///         uploadFinalRewardResultsForTrainingNodes) and the constructor.
contract FlockTaskManager {
    struct Task {
        uint256 id;
        bool isCompleted;
        address creator;
        uint256 startTime;
        uint256 expectedDuration;
        uint256 stakeAmount;
        string taskName;
    }

    enum ROLE {
        NODE,
        VALIDATOR,
        DELEGATOR,
        NODE_VALIDATOR
    }

    address public owner;
    IStakeToken public gmFlockToken;

    uint256 public baseStakeAmount;
    uint256 public maxDuration;
    uint256 public minNodeStakes;
    uint256 public validatorMinStake;

    uint256[] public taskIds;
    mapping(uint256 => Task) public tasks;
    mapping(uint256 => mapping(address => uint256)) public nodeStakes;
    mapping(uint256 => mapping(address => uint256)) public validatorStakes;
    mapping(uint256 => address[]) public taskValidators;
    mapping(address => uint256[]) public nodeTasks;
    mapping(address => uint256[]) public validatorTasks;
    mapping(uint256 => uint256) public totalNodeStakesPerTask;
    mapping(uint256 => uint256) public totalValidatorStakesPerTask;
    mapping(address => uint256) public totalStakes;
    mapping(uint256 => mapping(address => bool)) public nodeInTask;
    mapping(uint256 => uint256) public taskFinishedTimestamp;

    event TaskCreated(uint256 indexed taskId, address indexed creator, uint256 expectedDuration, uint256 stakeAmount);
    event NodeStakeDeposited(uint256 indexed taskId, address indexed node, uint256 amount);
    event NodeStakeWithdrawn(uint256 indexed taskId, address indexed node, uint256 amount);
    event ValidatorStakeDeposited(uint256 indexed taskId, address indexed validator, uint256 amount);
    event ValidatorStakeWithdrawn(uint256 indexed taskId, address indexed validator, uint256 amount);
    event TaskFinished(uint256 taskId);

    modifier onlyProtocolManager() {
        require(msg.sender == owner, "Only protocol manager");
        _;
    }

    constructor(address _gmFlockToken, uint256 _minNodeStakes, uint256 _validatorMinStake) {
        owner = msg.sender;
        gmFlockToken = IStakeToken(_gmFlockToken);
        minNodeStakes = _minNodeStakes;
        validatorMinStake = _validatorMinStake;
        maxDuration = 365 days;
    }

    // ------------------------------------------------------------------ admin

    function setMinStakes(uint256 _minNodeStakes, uint256 _validatorMinStake) external onlyProtocolManager {
        minNodeStakes = _minNodeStakes;
        validatorMinStake = _validatorMinStake;
    }

    function setBaseStakeAmount(uint256 _baseStakeAmount) external onlyProtocolManager {
        baseStakeAmount = _baseStakeAmount;
    }

    function setMaxDuration(uint256 _maxDuration) external onlyProtocolManager {
        maxDuration = _maxDuration;
    }

    // -------------------------------------------------------------- accessors

    function getNodeStakes(uint256 _taskId, address _user) external view returns (uint256) {
        return nodeStakes[_taskId][_user];
    }

    function getValidatorStakes(uint256 _taskId, address _user) external view returns (uint256) {
        return validatorStakes[_taskId][_user];
    }

    function isTaskCompleted(uint256 taskId) external view returns (bool) {
        return tasks[taskId].isCompleted;
    }

    function getTotalStakes(address _user) external view returns (uint256) {
        return totalStakes[_user];
    }

    function getNodeTasks(address _user) external view returns (uint256[] memory) {
        return nodeTasks[_user];
    }

    function getValidatorTasks(address _user) external view returns (uint256[] memory) {
        return validatorTasks[_user];
    }

    // ------------------------------------------------------------------ tasks

    function createTask(uint256 taskId, uint256 expectedDuration, string memory taskName) external onlyProtocolManager {
        require(taskId != 0, "Invalid task ID");
        require(expectedDuration > 0 && expectedDuration <= maxDuration, "Invalid task duration");
        require(tasks[taskId].expectedDuration == 0, "Task ID already exists");
        uint256 stakeAmount = (baseStakeAmount * expectedDuration) / 1 days;
        if (stakeAmount > 0) {
            require(gmFlockToken.transferFrom(msg.sender, address(this), stakeAmount), "Stake transfer failed");
        }
        tasks[taskId] = Task({
            id: taskId,
            isCompleted: false,
            creator: msg.sender,
            startTime: block.timestamp,
            expectedDuration: expectedDuration,
            stakeAmount: stakeAmount,
            taskName: taskName
        });
        taskIds.push(taskId);
        emit TaskCreated(taskId, msg.sender, expectedDuration, stakeAmount);
    }

    /// @notice Sandbox-only: marks a task completed (the real contract does this at the end of
    ///         uploadFinalRewardResultsForTrainingNodes). Emits the real TaskFinished event.
    function finishTask(uint256 taskId) external onlyProtocolManager {
        require(tasks[taskId].id != 0, "Task does not exist");
        require(!tasks[taskId].isCompleted, "Task already completed");
        tasks[taskId].isCompleted = true;
        taskFinishedTimestamp[taskId] = block.timestamp;
        emit TaskFinished(taskId);
    }

    // ------------------------------------------------------------------ nodes

    function stakeTokensForTrainingNodes(uint256 taskId, uint256 additionalStakes) external {
        require(tasks[taskId].id != 0, "Task does not exist");
        require(!tasks[taskId].isCompleted, "Task already completed");
        require(validatorStakes[taskId][msg.sender] == 0, "Already staked as validator");
        nodeStakes[taskId][msg.sender] += additionalStakes;
        require(nodeStakes[taskId][msg.sender] >= minNodeStakes, "Stake amount is less than minimum stake amount");
        require(gmFlockToken.transferFrom(msg.sender, address(this), additionalStakes), "Stake transfer failed");
        if (nodeStakes[taskId][msg.sender] == additionalStakes) {
            nodeTasks[msg.sender].push(taskId);
        }
        totalNodeStakesPerTask[taskId] += additionalStakes;
        totalStakes[msg.sender] += additionalStakes;
        nodeInTask[taskId][msg.sender] = true;
        emit NodeStakeDeposited(taskId, msg.sender, nodeStakes[taskId][msg.sender]);
    }

    function withdrawStakeTokensForTrainingNodes(uint256 taskId) external {
        require(nodeStakes[taskId][msg.sender] > 0, "No stake found");
        require(tasks[taskId].isCompleted, "Task is not yet completed");
        uint256 stakedAmount = nodeStakes[taskId][msg.sender];
        nodeStakes[taskId][msg.sender] = 0;
        totalNodeStakesPerTask[taskId] -= stakedAmount;
        totalStakes[msg.sender] -= stakedAmount;
        require(gmFlockToken.transfer(msg.sender, stakedAmount), "Stake return failed");
        emit NodeStakeWithdrawn(taskId, msg.sender, stakedAmount);
    }

    // ------------------------------------------------------------- validators

    function stakeTokensForValidators(uint256 taskId, uint256 additionalStakes) external {
        require(tasks[taskId].id != 0, "Task does not exist");
        require(!tasks[taskId].isCompleted, "Task already completed");
        require(nodeStakes[taskId][msg.sender] == 0, "Already staked as node");
        validatorStakes[taskId][msg.sender] += additionalStakes;
        require(validatorStakes[taskId][msg.sender] >= validatorMinStake, "Stake amount is less than minimum stake amount");
        require(gmFlockToken.transferFrom(msg.sender, address(this), additionalStakes), "Stake transfer failed");
        if (validatorStakes[taskId][msg.sender] == additionalStakes) {
            validatorTasks[msg.sender].push(taskId);
            taskValidators[taskId].push(msg.sender);
        }
        totalValidatorStakesPerTask[taskId] += additionalStakes;
        totalStakes[msg.sender] += additionalStakes;
        emit ValidatorStakeDeposited(taskId, msg.sender, validatorStakes[taskId][msg.sender]);
    }

    function withdrawStakeTokensForValidators(uint256 taskId) external {
        require(validatorStakes[taskId][msg.sender] > 0, "No stake found");
        require(tasks[taskId].isCompleted, "Task is not yet completed");
        uint256 stakedAmount = validatorStakes[taskId][msg.sender];
        validatorStakes[taskId][msg.sender] = 0;
        totalValidatorStakesPerTask[taskId] -= stakedAmount;
        totalStakes[msg.sender] -= stakedAmount;
        require(gmFlockToken.transfer(msg.sender, stakedAmount), "Stake return failed");
        emit ValidatorStakeWithdrawn(taskId, msg.sender, stakedAmount);
    }
}
